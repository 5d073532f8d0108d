import streamlit as st

st.title('aktorer')
st.info('Under arbeid.')
