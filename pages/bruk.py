import streamlit as st

st.title('bruk')
st.info('Under arbeid.')
