import streamlit as st

st.title('skolebidrag')
st.info('Under arbeid.')
